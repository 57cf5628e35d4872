/** Text from VMs made safe to print: on an operator's terminal and in log lines. */
package lab.appliance.text;
