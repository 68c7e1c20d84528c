#!/usr/bin/env bash
# How long the mail worker takes to send N queued messages (default 10,000) to a local aiosmtpd
# delivering into a Maildir: the throughput test of tests/it/mail.rs, release build, with N set.
# Needs python3-aiosmtpd (as the tests do) and the PostgreSQL server programs.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
THIDUA_MAIL_BENCH="$n" cargo test --release --test it mail::throughput_of_the_worker -- \
  --nocapture 2>&1 | grep -E '^mail worker:|test result'
