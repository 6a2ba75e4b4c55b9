#!/usr/bin/env bash
# TLS and mutual TLS between the coordinator, a worker and the client, with
# certificates made on the spot by openssl.
set -uo pipefail
runfiles="$TEST_SRCDIR/pktgrid"
pktgrid="$runfiles/cli/pktgrid"
tmp="$TEST_TMPDIR"
cd "$tmp"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A CA, a server certificate for 127.0.0.1 and a client certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=pktgrid-test-ca \
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
  -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -days 1 -extfile san.ext -out server.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=client \
  -keyout client.key -out client.csr 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -days 1 -out client.pem 2>/dev/null

start_coordinator() {  # extra flags...
  rm -f port
  "$runfiles/coordinator/pktgrid-coordinator" --listen=127.0.0.1:0 \
    --port_file=port --db="$tmp/db-$1.sqlite" --artifacts="$tmp/art" \
    --tls_cert=server.pem --tls_key=server.key "${@:2}" 2>"coord-$1.log" &
  coordinator=$!
  for _ in $(seq 100); do [[ -s port ]] && break; sleep 0.1; done
  address="127.0.0.1:$(cat port)"
}

# Server-side TLS.
start_coordinator tls
"$pktgrid" sweeps --coordinator="$address" --tls_ca=ca.pem >/dev/null \
  || fail "client with the CA could not list sweeps"
"$pktgrid" sweeps --coordinator="$address" >/dev/null 2>&1 \
  && fail "a plaintext client got through a TLS server"
grep -q ', TLS)' coord-tls.log || fail "coordinator did not say TLS"
"$runfiles/worker/pktgrid-worker" --coordinator="$address" --role=bench \
  --tls_ca=ca.pem --exit_when_idle=1 --cache_dir="$tmp/cache" 2>worker.log \
  || fail "worker over TLS: $(tail -3 worker.log)"
grep -q 'registered with' worker.log || fail "worker did not register"
kill "$coordinator"; wait "$coordinator" 2>/dev/null

# Mutual TLS: a client certificate is required.
start_coordinator mtls --tls_client_ca=ca.pem
"$pktgrid" sweeps --coordinator="$address" --tls_ca=ca.pem >/dev/null 2>&1 \
  && fail "a client without a certificate got through mutual TLS"
"$pktgrid" sweeps --coordinator="$address" --tls_ca=ca.pem \
  --tls_cert=client.pem --tls_key=client.key >/dev/null \
  || fail "client with a certificate was refused"
grep -q 'mutual TLS' coord-mtls.log || fail "coordinator did not say mutual TLS"
kill "$coordinator"; wait "$coordinator" 2>/dev/null

# Unreadable TLS files are named.
err=$("$pktgrid" sweeps --coordinator=127.0.0.1:1 --tls_ca=missing.pem 2>&1)
grep -q 'missing.pem: cannot read the TLS CA certificate' <<<"$err" \
  || fail "missing CA file not named: $err"
err=$("$runfiles/coordinator/pktgrid-coordinator" --tls_cert=server.pem 2>&1)
[[ $? -eq 2 ]] && grep -q 'both a certificate and its key' <<<"$err" \
  || fail "coordinator with a cert and no key: $err"

echo "$failures failure(s)"
exit $((failures > 0))
