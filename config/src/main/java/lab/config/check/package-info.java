/** Rules that relate several config values (pools to the subnet, reservations to each other, lease timers). */
package lab.config.check;
