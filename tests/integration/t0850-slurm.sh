#!/bin/sh
# A Slurm array into one shared directory: the test starts a one-node
# Slurm cluster of its own (munged, slurmctld and slurmd from Debian's
# packages, listening on 127.0.0.1 only, with their configuration, key,
# sockets, state and logs in $T), submits README's Slurm script, as it
# stands there, with `sbatch --wait --array=0-3`, and checks that every
# task exits 0, every file is fetched exactly once and byte-identical,
# and that a second array finds everything up to date (304 to
# If-None-Match). The daemons are stopped by PID, on failure too.
#
# The same scenario under GNU parallel, with reruns, is t0800.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

PATH=$PATH:/usr/sbin:/sbin
export PATH

# slurmd starts jobs as their owner and slurmctld runs as SlurmUser=root.
[ "$(id -u)" -eq 0 ] || skip_all "Slurm's daemons need root (SlurmUser=root)"

# The tools are part of the proof: missing, the test fails, never skips.
missing=
for c in munged mungekey munge unmunge slurmctld slurmd sbatch sinfo \
	scontrol squeue scancel; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	fail "Slurm and munge are installed (scripts/bootstrap installs slurm-wlm and munge); missing:$missing"
	done_testing
fi

# A Slurm job around `make check` must not leak its settings into ours.
for v in $(env | sed -n 's/^\(\(SLURM\|SBATCH\|SQUEUE\|SINFO\|SCONTROL\)_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

NFILES=40
TASKS=4
CONF=$T/slurm/slurm.conf

# Every Slurm command reads our configuration, never /etc/slurm.
sl() {
	env SLURM_CONF="$CONF" "$@"
}

# ---- teardown (also on failure) ----------------------------------------

MUNGED_PID='' CTLD_PID='' SLURMD_PID=''

# stop_daemon NAME VAR QUIET: SIGTERM to the pid in $VAR, up to 30 s,
# then SIGKILL; reaps it. Unless QUIET, a test that it stopped on TERM.
stop_daemon() {
	local name=$1 pid st=0 killed=
	eval "pid=\${$2}"
	[ -n "$pid" ] || return 0
	eval "$2="
	kill -TERM "$pid" 2>/dev/null
	if ! wait_until 30 eval '! _srv_alive '"$pid"; then
		kill -KILL "$pid" 2>/dev/null
		killed=yes
	fi
	wait "$pid" 2>/dev/null || st=$?
	[ "${3-}" = quiet ] && return 0
	if [ -n "$killed" ]; then
		fail "$name stops on SIGTERM"
		diag "it did not exit within 30 s and was killed"
	else
		pass "$name stops on SIGTERM (status $st)"
	fi
}

# Processes the cluster started (slurmstepd, job shells, fetchpool) carry
# SLURM_CONF=$CONF in their environment: whatever is left of them.
cluster_pids() {
	local d
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" = "$$" ] && continue
		{ tr '\0' '\n' <"$d/environ"; } 2>/dev/null |
			grep -qxF "SLURM_CONF=$CONF" && echo "${d#/proc/}"
	done
	return 0
}

no_jobs() {
	[ -z "$(sl timeout 10 squeue -h -o %i 2>/dev/null)" ]
}
no_cluster_pids() {
	[ -z "$(cluster_pids)" ]
}

slurm_cleanup() {
	local p
	# Jobs first, while slurmctld can still end them.
	if [ -n "$CTLD_PID" ] && _srv_alive "$CTLD_PID"; then
		sl timeout 20 scancel --user=root >/dev/null 2>&1
		wait_until 30 no_jobs
	fi
	stop_daemon slurmd SLURMD_PID quiet
	stop_daemon slurmctld CTLD_PID quiet
	stop_daemon munged MUNGED_PID quiet
	for p in $(cluster_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	wait_until 10 no_cluster_pids
}
trap '_st=$?; slurm_cleanup; (exit $_st); _lib_exit' EXIT

# ---- the fixture server and the list ------------------------------------

mkdir -p "$T/www/d" "$T/work"
i=1
: >"$T/work/books.txt"
server_latency=500 # every shard takes a second or more: the tasks overlap
while [ "$i" -le "$NFILES" ]; do
	head -c $((i * i * 127 % 200000 + 1)) /dev/urandom >"$T/www/d/f$i.bin"
	i=$((i + 1))
done
server_start --root "$T/www" --latency "$server_latency"
i=1
while [ "$i" -le "$NFILES" ]; do
	echo "$SERVER_URL/d/f$i.bin" >>"$T/work/books.txt"
	i=$((i + 1))
done

# ---- the job script: README's, with /shared/books moved into $T ---------

sed -n '/^Slurm array (each task/,/^```$/p' "$TOP_SRCDIR/README.md" |
	sed -n '/^```sh$/,/^```$/p' | sed '1d;$d' >"$T/readme.sh"
like "README has the Slurm script" "$(head -n 1 "$T/readme.sh")" '^#!/bin/sh$'
like "README's script is an array of $TASKS" "$(cat "$T/readme.sh")" \
	"^#SBATCH --array=0-$((TASKS - 1))\$"
like "README's script: --shard SLURM_ARRAY_TASK_ID/$TASKS into /shared/books" \
	"$(cat "$T/readme.sh")" \
	"fetchpool .*--shard SLURM_ARRAY_TASK_ID/$TASKS -o /shared/books "
SHARED=$T/shared/books
sed "s|/shared/books|$SHARED|g" "$T/readme.sh" >"$T/work/books.sh"
mkdir -p "$T/shared"

# ---- a private cluster: munged ------------------------------------------

# munged wants every directory above its socket searchable by all, and
# its key readable by its owner only.
chmod 0711 "$T"
mkdir -p "$T/munge" "$T/run" "$T/slurm/spool" "$T/slurm/state"
chmod 0700 "$T/munge"
chmod 0755 "$T/run"
if ! mungekey --create --keyfile="$T/munge/munge.key" \
	>"$T/munge/mungekey.out" 2>&1; then
	diag "$(cat "$T/munge/mungekey.out")"
	BAIL_OUT "mungekey cannot make a key"
fi
chmod 0400 "$T/munge/munge.key"
MUNGE_SOCK=$T/run/munge.sock
munged --foreground --socket="$MUNGE_SOCK" \
	--key-file="$T/munge/munge.key" --pid-file="$T/munge/munged.pid" \
	--log-file="$T/munge/munged.log" --seed-file="$T/munge/munged.seed" \
	</dev/null >"$T/munge/munged.out" 2>&1 &
MUNGED_PID=$!
wait_until 20 test -S "$MUNGE_SOCK"
ok "munged answers on its own socket" sh -c \
	"munge -S '$MUNGE_SOCK' -n | unmunge -S '$MUNGE_SOCK'"
if ! _srv_alive "$MUNGED_PID"; then
	diag "$(tail -n 20 "$T/munge/munged.out")"
	BAIL_OUT "munged did not start"
fi

# ---- slurm.conf ------------------------------------------------------------

# free_port [NOT]: a TCP port no socket uses, below the range the kernel
# hands out for port 0 (the fixture servers), and not NOT.
free_port() {
	local lo p n=0
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range
	[ "$lo" -gt 12000 ] || lo=32768
	while [ "$n" -lt 200 ]; do
		p=$(($(od -An -N2 -tu2 /dev/urandom) % (lo - 10000) + 10000))
		if [ "$p" != "${1-}" ] &&
			! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
			grep -q "$(printf ':%04X ' "$p")"; then
			echo "$p"
			return 0
		fi
		n=$((n + 1))
	done
	return 1
}
CTLD_PORT=$(free_port) || BAIL_OUT "no free port"
SLURMD_PORT=$(free_port "$CTLD_PORT") || BAIL_OUT "no free port"

# The node as slurmd sees it (CPUs, sockets, cores, RealMemory), renamed.
node=$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* /NodeName=localhost NodeAddr=127.0.0.1 /p')
like "slurmd -C describes this machine" "$node" ' CPUs=[0-9]+ .*RealMemory=[0-9]+'

: >"$T/slurm/plugstack.conf"
cat >"$CONF" <<EOF
ClusterName=fptest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
# Listen on 127.0.0.1 only, not on every address.
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
CredType=cred/munge
MpiDefault=none
# No cgroups: a container has them read-only, or not at all.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=5
MailProg=/bin/true
PlugStackConfig=$T/slurm/plugstack.conf
SlurmdSpoolDir=$T/slurm/spool
StateSaveLocation=$T/slurm/state
SlurmdPidFile=$T/slurm/slurmd.pid
SlurmctldPidFile=$T/slurm/slurmctld.pid
SlurmctldLogFile=$T/slurm/slurmctld.log
SlurmdLogFile=$T/slurm/slurmd.log
$node
# FORCE:$TASKS: the $TASKS tasks run at once even on fewer CPUs.
PartitionName=fp Nodes=localhost Default=YES MaxTime=10 State=UP OverSubscribe=FORCE:$TASKS
EOF

# ---- slurmctld and slurmd ----------------------------------------------------

env SLURM_CONF="$CONF" slurmctld -D -f "$CONF" \
	</dev/null >"$T/slurm/slurmctld.out" 2>&1 &
CTLD_PID=$!
env SLURM_CONF="$CONF" slurmd -D -N localhost -f "$CONF" \
	</dev/null >"$T/slurm/slurmd.out" 2>&1 &
SLURMD_PID=$!

node_idle() {
	[ "$(sl timeout 10 sinfo -h -N -o %T 2>/dev/null)" = idle ]
}
if ! wait_until 90 node_idle; then
	fail "the node comes up idle"
	diag "sinfo: $(sl timeout 10 sinfo -N 2>&1)"
	for f in slurmctld.out slurmctld.log slurmd.out slurmd.log; do
		[ -s "$T/slurm/$f" ] && diag "--- $f" "$(tail -n 15 "$T/slurm/$f")"
	done
	done_testing
fi
pass "the node comes up idle"

# Both daemons listen on 127.0.0.1 and nowhere else (0100007F in
# /proc/net/tcp; 0A is LISTEN).
listening() { # PORT: the local addresses that listen on PORT
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p="$(printf '%04X' "$1")" \
			'$4 == "0A" && $2 ~ (":" p "$") { sub(/:.*/, "", $2); print $2 }' |
		sort -u | tr '\n' ' '
}
is "slurmctld listens on 127.0.0.1 only" "$(listening "$CTLD_PORT")" "0100007F "
is "slurmd listens on 127.0.0.1 only" "$(listening "$SLURMD_PORT")" "0100007F "

# ---- the arrays -----------------------------------------------------------------

BINDIR=$(cd "$(dirname "$FETCHPOOL")" && pwd)

# run_array NAME: submit books.sh as an array and wait for it (bounded
# twice: Slurm's --time and timeout around sbatch); sets $JOB and $arc.
run_array() {
	arc=0
	sl PATH="$BINDIR:$PATH" timeout -k 10 300 sbatch --wait --parsable \
		--array=0-$((TASKS - 1)) --time=5 --job-name="fp-$1" \
		--chdir="$T/work" --output="$T/work/$1-%a.log" \
		"$T/work/books.sh" >"$T/$1.sbatch.out" 2>"$T/$1.sbatch.err" ||
		arc=$?
	JOB=$(sed -n '1{s/[^0-9].*//;p;}' "$T/$1.sbatch.out")
	[ "$arc" -ne 124 ] || diag "sbatch --wait killed after 300 s"
}

# check_tasks NAME: each task COMPLETED with exit status 0:0
check_tasks() {
	local k line got
	is "$1: sbatch --wait exits 0" "$arc" 0
	[ "$arc" -eq 0 ] || diag "$(cat "$T/$1.sbatch.err")"
	isnt "$1: sbatch printed the job id" "$JOB" ""
	sl timeout 20 scontrol -o show job "${JOB:-none}" >"$T/$1.jobs" 2>&1
	k=0
	while [ "$k" -lt "$TASKS" ]; do
		line=$(grep " ArrayJobId=$JOB ArrayTaskId=$k " "$T/$1.jobs")
		got=$(printf '%s\n' "$line" |
			sed -n 's/.* JobState=\([^ ]*\) .* ExitCode=\([^ ]*\) .*/\1 \2/p')
		is "$1: task $k COMPLETED, exit 0" "$got" "COMPLETED 0:0"
		if [ "$got" != "COMPLETED 0:0" ]; then
			diag "$(cat "$T/work/$1-$k.log" 2>/dev/null)"
		fi
		is "$1: task $k left no failed jobs" \
			"$(cat "$SHARED/failed-$k.txt" 2>&1)" ""
		k=$((k + 1))
	done
}

t0=$(date +%s)
run_array first
check_tasks first
server_stats >"$T/stats1"
is "every file requested exactly once" \
	"$(jq -r '[.requests[].path] | group_by(.) | map(length) | unique | map(tostring) | join(",")' "$T/stats1")" 1
is "$NFILES requests, all 200" \
	"$(jq '[.requests[] | select(.status == 200)] | length' "$T/stats1")/$(jq '.requests | length' "$T/stats1")" \
	"$NFILES/$NFILES"
# fetchpool runs 4 requests at most (-j default): more at once are
# several tasks at work in the directory at the same time.
ok "the tasks overlapped (peak in flight above 4)" \
	test "$(jq .peak_in_flight "$T/stats1")" -gt 4
bad=
i=1
while [ "$i" -le "$NFILES" ]; do
	cmp -s "$T/www/d/f$i.bin" "$SHARED/f$i.bin" || bad="$bad f$i.bin"
	i=$((i + 1))
done
is "every file byte-identical" "$bad" ""
is "the state file holds every task's validators" \
	"$(grep -vc '^#' "$SHARED/.fetchpool.state" 2>&1)" "$NFILES"

server_reset
run_array second
check_tasks second
server_stats >"$T/stats2"
is "second array: each file asked once, 304 to If-None-Match" \
	"$(jq '[.requests[] | select(.status == 304 and .if_none_match != null) | .path] | unique | length' "$T/stats2")/$(jq '.requests | length' "$T/stats2")" \
	"$NFILES/$NFILES"
diag "two arrays of $TASKS tasks in $(($(date +%s) - t0)) s"

# ---- stop the cluster -------------------------------------------------------

stop_daemon slurmd SLURMD_PID
stop_daemon slurmctld CTLD_PID
stop_daemon munged MUNGED_PID
is "no process of the cluster is left" "$(cluster_pids | tr '\n' ' ')" ""

done_testing
