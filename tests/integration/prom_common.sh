# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# Debian's prometheus-node-exporter (textfile collector only) and a
# Prometheus server scraping it every second, both on the loopback of one
# test namespace (its own: fixed ports cannot collide with another run).
# Source after tests/lib/netns.sh and harness_init.
#
#	prom_stack NS TEXTFILE_DIR [RULES]	# start both; sets PROM_URL
#	prom_ready				# wait until both answer
#	prom_q EXPR				# instant query: JSON on stdout
#	prom_wait SECONDS WHAT CMD...		# until CMD succeeds

PROM_EXPORTER=/usr/bin/prometheus-node-exporter
PROM_URL=http://127.0.0.1:9090

# prom_wait SECONDS WHAT CMD...: until CMD succeeds, while both live.
prom_wait() {
	local s=$1 what=$2 i
	shift 2
	for ((i = 0; i < s * 10; i++)); do
		"$@" > /dev/null 2>&1 && return 0
		harness__alive "$PROM_EXPORTER_PID" || harness_die "node_exporter died"
		harness__alive "$PROM_SERVER_PID" || harness_die "prometheus died"
		sleep 0.1
	done
	harness_die "$what: not ready after $s s"
}

prom_stack() {
	local ns=$1 dir=$2 rules=${3:-} d=$HARNESS_DIR/prometheus
	[ -x "$PROM_EXPORTER" ] ||
		harness_die "$PROM_EXPORTER not found: apt-get install prometheus-node-exporter"
	harness__need prometheus promtool curl jq
	PROM_NS=$ns
	mkdir -p "$d"
	harness_bg "$ns" "$PROM_EXPORTER" --web.listen-address=127.0.0.1:9100 \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$dir" > "$d/exporter.log" 2>&1
	PROM_EXPORTER_PID=$HARNESS_BG_PID
	{
		printf 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n'
		[ -z "$rules" ] || printf 'rule_files:\n  - %s\n' "$rules"
		printf 'scrape_configs:\n  - job_name: node\n'
		printf '    static_configs:\n      - targets: [127.0.0.1:9100]\n'
	} > "$d/prometheus.yml"
	harness_bg "$ns" prometheus --config.file="$d/prometheus.yml" \
		--storage.tsdb.path="$d/tsdb" --web.listen-address=127.0.0.1:9090 \
		> "$d/prometheus.log" 2>&1
	PROM_SERVER_PID=$HARNESS_BG_PID
}

prom_ready() {
	prom_wait 20 "node_exporter" \
		harness_run_in "$PROM_NS" curl -sf http://127.0.0.1:9100/metrics
	prom_wait 20 "prometheus" \
		harness_run_in "$PROM_NS" curl -sf "$PROM_URL/-/ready"
}

prom_q() {
	harness_run_in "$PROM_NS" promtool query instant -o json "$PROM_URL" "$1"
}
