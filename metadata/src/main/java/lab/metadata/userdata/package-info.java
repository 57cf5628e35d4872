/** Jinja rendering of user-data templates, with positioned errors. */
package lab.metadata.userdata;
