#!/bin/sh
# Many hosts: a handle keeps connections to its last few hosts, and a job
# takes the free handle that has one to its host, so a list that takes
# turns over 12 servers (more than the connections one handle keeps)
# reuses connections instead of opening one per file. 120 files at -j 2:
# at most 2 x -j handles, so at most 4 connections per server (48 in
# all), against about 120 when a handle is picked without regard to the
# hosts it has connections to.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

mkdir "$T/www"
i=0
while [ $i -lt 120 ]; do
	printf 'file %d\n' $i >"$T/www/f$i.txt"
	i=$((i + 1))
done
n=1
while [ $n -le 12 ]; do
	server_start --root "$T/www"
	n=$((n + 1))
done
: >"$T/list"
i=0
while [ $i -lt 120 ]; do
	n=$((i % 12 + 1))
	printf '%s/f%d.txt\n' "$(_srv_var $n URL)" $i >>"$T/list"
	i=$((i + 1))
done

run_fp -j 2 -o "$T/dl" books "$T/list"
is "exit 0" "$rc" 0
is "every file" "$(ls "$T/dl" | wc -l | tr -d ' ')" 120
total=0
n=1
while [ $n -le 12 ]; do
	st=$(server_stats "$(_srv_var $n URL)")
	c=$(printf '%s' "$st" | jq .connections)
	r=$(printf '%s' "$st" | jq '.requests | length')
	is "server $n: its 10 requests" "$r" 10
	ok "server $n: at most 4 connections ($c)" test "$c" -le 4
	total=$((total + c))
	n=$((n + 1))
done
diag "120 files from 12 servers at -j 2 over $total connections"
ok "at most 48 connections in all ($total)" test "$total" -le 48

# Kept connections fit the descriptors allowed: with 48 at -j 4, the 8
# handles keep one connection each, not up to 8 (64 sockets besides the
# handles' own 16 descriptors), and nothing fails for want of one.
rm -rf "$T/dl"
(ulimit -n 48 && run_fp -j 4 --retries 0 -o "$T/dl" books "$T/list" &&
	echo "$rc" >"$T/rc48")
is "48 descriptors: exit 0" "$(cat "$T/rc48")" 0
is "48 descriptors: every file" "$(ls "$T/dl" | wc -l | tr -d ' ')" 120
unlike "48 descriptors: no descriptor ran out" "$(cat "$T/err")" \
	'[Tt]oo many open files'

done_testing
