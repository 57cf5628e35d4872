/** EC2 instance metadata tree and IMDSv2 session tokens. */
package lab.metadata.ec2;
