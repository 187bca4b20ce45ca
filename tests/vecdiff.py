#!/usr/bin/env python3
"""Developer tool: show where `apxvm decode --full` disagrees with a vector file.

  tests/vecdiff.py VECTORS.tsv [--bin build/apxvm] [--match REGEX] [--intel] [--max N]

Compares status (ok vs not), len, iclass, attrs, scc, dfv, operands (and with
--intel the Intel text) and prints the differing lines plus a summary.
--match keeps only lines whose bytes match REGEX (Python re.search)."""
import argparse, re, subprocess, sys, collections

ap = argparse.ArgumentParser()
ap.add_argument('file')
ap.add_argument('--bin', default='build/apxvm')
ap.add_argument('--match')
ap.add_argument('--intel', action='store_true')
ap.add_argument('--max', type=int, default=60)
ap.add_argument('--status-only', action='store_true')
a = ap.parse_args()

rows = []
for l in open(a.file):
    if l.startswith('#'):
        continue
    f = l.rstrip('\n').split('\t')
    if a.match and not re.search(a.match, f[0]):
        continue
    rows.append(f)
inp = ''.join(f[0] + '\n' for f in rows)
out = subprocess.run([a.bin, 'decode', '--full'], input=inp, capture_output=True, text=True)
got = out.stdout.splitlines()
if len(got) != len(rows):
    sys.exit('apxvm decode printed %d lines for %d inputs\n%s' % (len(got), len(rows), out.stderr[-2000:]))
bad = collections.Counter()
shown = 0
for f, g in zip(rows, got):
    g = g.split('\t')
    exp_ok, got_ok = f[1] == 'ok', g[0] == 'ok'
    why = []
    if exp_ok != got_ok:
        why.append('status')
    elif exp_ok:
        if f[2] != g[1]: why.append('len')
        elif not a.status_only:
            if f[3] != g[2]: why.append('iclass')
            if f[5] != g[4]: why.append('attrs')
            if f[6] != g[5] or f[7] != g[6]: why.append('scc/dfv')
            if f[8] != g[7]: why.append('operands')
            if a.intel and f[9] != g[8]: why.append('intel')
    if why:
        for w in why: bad[w] += 1
        if shown < a.max:
            shown += 1
            print('%s [%s]\n  xed: %s\n  got: %s' % (f[0], ','.join(why), '\t'.join(f[1:]), '\t'.join(g)))
print('%d lines; mismatches: %s' % (len(rows), dict(bad) or 'none'))
