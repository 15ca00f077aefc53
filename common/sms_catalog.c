/* SPDX-License-Identifier: ISC */
/*
 * The SMS.xxxx error catalog: every code of facts plus the codes of the
 * source document (§16) about the network, proxy, clock, SSH, ports, rate
 * limiting and the source's resources.  Messages are the document's titles
 * in English; remedies are condensed from the section bodies into commands
 * an operator can run, each under MIG_ERR_TEXT so they fit a mig_error.
 * SMS.1890 and SMS.1891 are mignet's own codes, in the document's style.
 *
 * Sorted by code: mig_sms_lookup bisects.
 */
#include <stdlib.h>
#include <string.h>

#include "common/migcommon.h"

static const struct mig_sms catalog[] = {
	{ MIG_SMS_API_GATEWAY,
	  "the source cannot reach the cloud's API gateway (timeout)",
	  "check internet access, firewall and proxy of the source: "
	  "curl -v https://iam.<domain>:443 and "
	  "https://sms.<region>.<domain>:443 must answer (any HTTP status, "
	  "401 too); then restart the agent",
	  "§16.2" },
	{ MIG_SMS_CLOCK,
	  "the source server's time or time zone is wrong",
	  "compare date -u with real time (over 15 minutes off breaks signed "
	  "requests); if the business allows, timedatectl set-ntp true (or "
	  "date -s) and timedatectl set-timezone <zone>, then restart",
	  "§16.4" },
	{ MIG_SMS_STATEMENT,
	  "failed to send the service statement confirmation to the "
	  "migration service",
	  "the source cannot reach the migration service: "
	  "curl -v https://sms.<region>.<domain>:443 must answer; fix the "
	  "network, firewall or proxy, then restart the agent",
	  "§16.6" },
	{ MIG_SMS_DOMAIN,
	  "connection to a service domain failed",
	  "ping and curl -v https://<domain>:443 from the source; allow "
	  "outbound TCP 443 in the firewall and the security group's "
	  "outbound rules (allow, 0.0.0.0/0); check the EIP is bound and "
	  "not frozen",
	  "§16.10" },
	{ MIG_SMS_TLS,
	  "TLS/SSL authentication of a network request failed",
	  "check the CA bundle (update-ca-certificates) and the clock "
	  "(date -u); a private CA: netcheck report --ca-file FILE; as a "
	  "last resort netcheck report --insecure, and for the agent "
	  "servercheck = False in [ssl_config] of g-property.cfg",
	  "§16.11" },
	{ MIG_SMS_TRANSFER_NET,
	  "the network between source and destination failed during the "
	  "transfer",
	  "is the destination running? do security groups, firewalls and "
	  "ACLs still allow it (nc -vz <dst> 22)? enable automatic resume "
	  "(auto_start_* in g-property.cfg), then restart the task",
	  "§16.18" },
	{ MIG_SMS_DISK_FULL,
	  "a mount point of the source server has no free space (at least "
	  "1 MB is needed)",
	  "run df -TH, find the full mount point, free at least 1 MB on it, "
	  "then restart the agent",
	  "§16.25" },
	{ MIG_SMS_NO_SSH,
	  "SSH client not installed on the source",
	  "command -v ssh must print a path; install the client "
	  "(apt-get install openssh-client or yum install openssh-clients) "
	  "and check it with ssh -V",
	  "§16.28" },
	{ MIG_SMS_DEST_UNREACHABLE,
	  "cannot connect to the destination: check that its IP is "
	  "reachable and port 8900 is open",
	  "nc -vz <dst> 8900 from the source; open TCP 8900 inbound in the "
	  "destination's security group and network ACL (from 0.0.0.0/0 or "
	  "the source IP); if the network is fine, reboot the destination "
	  "and retry after 3 minutes",
	  "§16.30" },
	/*
	 * 1890 and 1891 are mignet's own, not the document's: what netcheck
	 * says when its responder on the destination (the port 8900 of
	 * §12.9's network check) is full, or its key is not the client's.
	 */
	{ MIG_SMS_RESPONDER_BUSY,
	  "destination responder busy: other sources are measuring against "
	  "the same destination",
	  "run the checks of one destination one after another, or retry in "
	  "a minute; on the destination, netcheck serve --max-sessions and "
	  "--max-queue raise the limits (--verbose logs who holds them)",
	  "§12.9" },
	{ MIG_SMS_RESPONDER_KEY,
	  "the destination's responder and this client do not share a key "
	  "(or a protocol version)",
	  "use the same key file on both ends: netcheck serve --key-file F "
	  "on the destination, --key-file F here (cmp the two files); a "
	  "version mismatch needs the same netcheck release on both",
	  "§12.9" },
	{ MIG_SMS_DEST_8899,
	  "cannot connect to the destination: check that its IP is "
	  "reachable and port 8899 is open",
	  "nc -vz <dst> 8899 from the source; open TCP 8899 inbound in the "
	  "destination's security group and network ACL (from 0.0.0.0/0 or "
	  "the source IP); if the network is fine, reboot the destination "
	  "and retry after 3 minutes",
	  "§16.34" },
	/*
	 * 2805 and 2806 appear only in §12.11's list of codes that trigger
	 * automatic resume; the document gives them no text of their own.
	 */
	{ MIG_SMS_NET_FAULT_2805,
	  "network fault between source and destination (a code that "
	  "triggers automatic resume)",
	  "check the path to the destination (nc -vz <dst> 22; nc -vz <dst> "
	  "8900) and let automatic resume retry; tune auto_start_* in "
	  "g-property.cfg",
	  "§12.11" },
	{ MIG_SMS_NET_FAULT_2806,
	  "network fault between source and destination (a code that "
	  "triggers automatic resume)",
	  "check the path to the destination (nc -vz <dst> 22; nc -vz <dst> "
	  "8900) and let automatic resume retry; tune auto_start_* in "
	  "g-property.cfg",
	  "§12.11" },
	{ MIG_SMS_SSH_FAILED,
	  "failed to establish the SSH connection to the destination",
	  "ssh -v <user>@<dst> from the source; allow outbound TCP 22 in the "
	  "source's firewall and security software; use the latest agent",
	  "§16.37" },
	{ MIG_SMS_SSH_HOSTKEY,
	  "port 22 of the destination: host key verification "
	  "(known_hosts) failed",
	  "did the destination's IP change after the first copy? switch it "
	  "back or recreate the task; look for IP conflicts on a private "
	  "network; ssh-keygen -R <dst> drops a stale key",
	  "§16.38" },
	{ MIG_SMS_SSH_AUTH,
	  "port 22 of the destination: invalid credentials",
	  "check the user and key or password with ssh <user>@<dst>; a "
	  "Windows destination created with a key pair is not supported: "
	  "use another destination",
	  "§16.39" },
	{ MIG_SMS_SSH_TIMEOUT,
	  "port 22 of the destination: connection timed out",
	  "allow source to destination TCP 22 in security groups, firewalls "
	  "and ACLs; check the destination is running and reachable (same "
	  "subnet on a private network): nc -vz -w 5 <dst> 22",
	  "§16.40" },
	{ MIG_SMS_SSH_REFUSED,
	  "port 22 of the destination: connection refused",
	  "check security groups, firewalls and ACLs between source and "
	  "destination, and that sshd listens on the destination "
	  "(ss -ltn | grep :22); test with nc -vz <dst> 22",
	  "§16.41" },
	{ MIG_SMS_NO_RSYNC,
	  "rsync not installed on the source server",
	  "install rsync with the distribution's package manager "
	  "(apt-get install rsync or yum install rsync), check it with "
	  "rsync --version, then restart the agent",
	  "§16.50" },
	{ MIG_SMS_OVERSPEED,
	  "the migration exceeded the speed limit repeatedly: rate limiting "
	  "on the source is broken; the task was paused",
	  "look for existing rules: tc qdisc show dev <if>; check tc -V, "
	  "route, lsmod | grep sch_cbq; remove a foreign rule "
	  "(tc qdisc del dev <if> root) only if the business does not need "
	  "it, then resume",
	  "§16.58" },
};

#define CATALOG_LEN (sizeof(catalog) / sizeof(catalog[0]))

static int
cmp_code(const void *key, const void *elem)
{
	const struct mig_sms *s = elem;

	return strcmp(key, s->code);
}

const struct mig_sms *
mig_sms_lookup(const char *code)
{
	if (code == NULL)
		return NULL;
	return bsearch(code, catalog, CATALOG_LEN, sizeof(catalog[0]),
	    cmp_code);
}

size_t
mig_sms_count(void)
{
	return CATALOG_LEN;
}

const struct mig_sms *
mig_sms_at(size_t i)
{
	if (i >= CATALOG_LEN)
		return NULL;
	return &catalog[i];
}

enum mig_port_role
mig_port_role_of(unsigned port)
{
	switch (port) {
	case MIG_PORT_SSH:
		return MIG_ROLE_SSH;
	case MIG_PORT_WINDOWS:
		return MIG_ROLE_WINDOWS;
	case MIG_PORT_BLOCK:
		return MIG_ROLE_BLOCK;
	default:
		return MIG_ROLE_OTHER;
	}
}

/* facts.md §1 (the document's §16.30, §16.34, §16.37, §16.40, §16.41). */
const char *
mig_port_sms(enum mig_port_role role, enum mig_port_fail f)
{
	if (f == MIG_PORT_OK)
		return NULL;
	switch (role) {
	case MIG_ROLE_BLOCK:
		return f == MIG_PORT_NOT_SSH ? NULL : MIG_SMS_DEST_UNREACHABLE;
	case MIG_ROLE_WINDOWS:
		return f == MIG_PORT_NOT_SSH ? NULL : MIG_SMS_DEST_8899;
	case MIG_ROLE_SSH:
		if (f == MIG_PORT_REFUSED)
			return MIG_SMS_SSH_REFUSED;
		if (f == MIG_PORT_TIMEOUT || f == MIG_PORT_UNREACHABLE)
			return MIG_SMS_SSH_TIMEOUT;
		return MIG_SMS_SSH_FAILED;
	case MIG_ROLE_OTHER:
		break;
	}
	return NULL;
}
