/** The validated, immutable appliance configuration, as records other modules' wiring reads. */
package lab.config.model;
