"""Runs one unmodified cloud-init 22.4 datasource against a metadata server and prints what it obtained.

Usage (inside a VM namespace, PYTHONPATH at the unpacked package's usr/lib/python3/dist-packages):
    python3 crawl.py --datasource CloudStack|Ec2|OpenStack|NoCloud --server IP [--seed URL]
                     [--ec2-platform unknown|aws] [--discover-server] --workdir DIR

Only what a lab VM's firmware would tell cloud-init is patched: the DMI/platform identity (Ec2 sees a non-AWS
platform, or AWS for the IMDSv2 variant; OpenStack sees "OpenStack Nova"; NoCloud reads the seed from the SMBIOS
serial) and, for CloudStack, the virtual router address, which cloud-init would otherwise read from this
machine's lease files (unless --discover-server: then cloud-init resolves data-server as it does on a real VM).
HTTP behaviour, retries and timeouts stay cloud-init's defaults.

Prints one JSON object on stdout; cloud-init's own log goes to stderr. Exit status 0 whether or not the datasource
found its data ("success" says which); 2 for a usage error.
"""

import argparse
import base64
import json
import os
import sys
import traceback


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasource", required=True, choices=["CloudStack", "Ec2", "OpenStack", "NoCloud"])
    parser.add_argument("--server", required=True, help="the appliance's address on the VM's network")
    parser.add_argument("--seed", help="NoCloud seed URL (default http://SERVER/nocloud/)")
    parser.add_argument("--ec2-platform", choices=["unknown", "aws"], default="unknown",
                        help="what Ec2 identifies the platform as: unknown uses IMDSv1, aws uses IMDSv2 tokens")
    parser.add_argument("--discover-server", action="store_true",
                        help="CloudStack: let cloud-init find the server itself (the data-server DNS name first)")
    parser.add_argument("--workdir", required=True, help="empty directory for cloud-init's paths")
    return parser.parse_args()


def configure_logging():
    # cloud-init's log module resets the root logger when imported; its own console setup (what `cloud-init
    # --debug` uses) logs everything to stderr.
    from cloudinit import log

    log.setupBasicLogging(log.DEBUG)


def make_paths_and_distro(workdir):
    from cloudinit import distros, helpers

    paths = helpers.Paths({
        "cloud_dir": os.path.join(workdir, "var-lib-cloud"),
        "run_dir": os.path.join(workdir, "run-cloud-init"),
        "templates_dir": os.path.join(workdir, "templates"),
    })
    os.makedirs(paths.cloud_dir, exist_ok=True)
    os.makedirs(paths.run_dir, exist_ok=True)
    distro = distros.fetch("debian")("debian", {}, paths)
    return paths, distro


def system_config(args):
    # The image forces the datasource as /etc/cloud/cloud.cfg.d would (OpenStack reads this list). Everything
    # else is cloud-init's default, except the NoCloud filesystem label: a label search runs blkid over this
    # machine's disks, which a lab VM without a config drive would find empty anyway.
    return {
        "datasource_list": [args.datasource, "None"],
        "datasource": {"NoCloud": {"fs_label": None}},
    }


def build_cloudstack(args, sys_cfg, distro, paths):
    from cloudinit.sources import DataSourceCloudStack as module

    if not args.discover_server:
        module.get_vr_address = lambda: args.server
    return module.DataSourceCloudStack(sys_cfg, distro, paths)


def build_ec2(args, sys_cfg, distro, paths):
    from cloudinit.sources import DataSourceEc2 as module

    platform = module.CloudNames.AWS if args.ec2_platform == "aws" else module.CloudNames.UNKNOWN
    module.identify_platform = lambda: platform
    return module.DataSourceEc2(sys_cfg, distro, paths)


def build_openstack(args, sys_cfg, distro, paths):
    from cloudinit.sources import DataSourceOpenStack as module

    module.detect_openstack = lambda accept_oracle=False: True
    return module.DataSourceOpenStack(sys_cfg, distro, paths)


def build_nocloud(args, sys_cfg, distro, paths):
    from cloudinit.sources import DataSourceNoCloud as module

    seed = args.seed or "http://%s/nocloud/" % args.server
    serial = "ds=nocloud-net;s=%s" % seed

    def read_dmi_data(key):
        return serial if key == "system-serial-number" else None

    module.dmi.read_dmi_data = read_dmi_data
    # The kernel command line is this machine's, not the VM's: a lab VM's says nothing about NoCloud.
    module.util.get_cmdline = lambda: ""
    return module.DataSourceNoCloudNet(sys_cfg, distro, paths)


BUILDERS = {
    "CloudStack": build_cloudstack,
    "Ec2": build_ec2,
    "OpenStack": build_openstack,
    "NoCloud": build_nocloud,
}


def text_or_base64(raw):
    """User- and vendor-data as text when they are UTF-8, else as {"base64": ...}; lists and dicts as JSON."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(raw).decode("ascii")}
    return raw


def json_safe(value):
    return json.loads(json.dumps(value, default=lambda o: text_or_base64(o) if isinstance(o, bytes) else repr(o)))


def describe(ds, succeeded):
    result = {"datasource": ds.dsname, "success": bool(succeeded)}
    if not succeeded:
        return result
    result["instance_id"] = ds.get_instance_id()
    result["hostname"] = ds.get_hostname(metadata_only=True).hostname
    result["public_keys"] = list(ds.get_public_ssh_keys() or [])
    result["userdata_raw"] = text_or_base64(ds.get_userdata_raw())
    result["vendordata_raw"] = text_or_base64(ds.get_vendordata_raw())
    try:
        result["network_config"] = json_safe(ds.network_config)
    except Exception as error:  # e.g. OpenStack's "Unable to find a system nic" for an unknown MAC
        traceback.print_exc(file=sys.stderr)
        result["network_config_error"] = "%s: %s" % (type(error).__name__, error)
    # The boot events on which cloud-init would refresh the metadata and re-render the network (read after
    # network_config, which is where Ec2 adds "boot" for an instance it takes for EC2-Classic).
    from cloudinit.event import EventScope
    result["network_update_events"] = sorted(
        event.value for event in ds.default_update_events.get(EventScope.NETWORK, set()))
    result["metadata"] = json_safe(ds.metadata)
    result["password"] = (ds.get_config_obj() or {}).get("password")
    return result


def main():
    args = parse_args()
    configure_logging()
    paths, distro = make_paths_and_distro(args.workdir)
    sys_cfg = system_config(args)
    output = {"datasource": args.datasource, "success": False}
    try:
        ds = BUILDERS[args.datasource](args, sys_cfg, distro, paths)
        succeeded = ds.get_data()
        output = describe(ds, succeeded)
    except Exception as error:  # cloud-init's own failures are results here, not crashes of the driver
        traceback.print_exc(file=sys.stderr)
        output["error"] = "%s: %s" % (type(error).__name__, error)
    sys.stdout.write(json.dumps(output, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
