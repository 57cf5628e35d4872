/** Tests that put the packaged appliance under fire: crashes mid-storm, and the tools that watch it happen. */
package lab.reliability;
