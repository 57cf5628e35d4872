/** The appliance's time: lease time that counts elapsed time, and a watch on the system clock's steps. */
package lab.appliance.time;
