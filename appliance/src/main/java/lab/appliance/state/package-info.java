/** Files in the state directory: created readable by the appliance's user only, replaced whole. */
package lab.appliance.state;
