package lab.config.model;

/** Whether EC2 metadata requests need an IMDSv2 session token ({@code required}) or may go without ({@code optional}). */
public enum ImdsTokens {
    OPTIONAL,
    REQUIRED
}
