/** Loading the appliance config: SnakeYAML composes, binders walk section by section, every problem is located. */
package lab.config;
