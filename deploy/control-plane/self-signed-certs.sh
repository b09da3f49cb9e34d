#!/bin/sh
# The self-signed alternative to cert-manager: makes a CA and a serving certificate for the
# webhook Service with openssl, then (with --apply) stores the pair as the Secret
# plugd-webhook-tls and writes the CA into both webhook configurations' caBundle.
#
#   deploy/control-plane/self-signed-certs.sh --out DIR            # files only
#   deploy/control-plane/self-signed-certs.sh --out DIR --apply    # and kubectl apply them
#
# Run it with --apply right after `kubectl apply -k deploy/control-plane` (the pods wait for
# the Secret; later applies keep the caBundle it set), and again before the certificate
# expires (DAYS, default 365): the host reloads the new pair without a restart.
set -eu

out=
apply=false
days=${DAYS:-365}
namespace=${NAMESPACE:-plugd-system}
service=${SERVICE:-plugd}
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --apply) apply=true; shift ;;
    *) echo "usage: $0 --out DIR [--apply]" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "usage: $0 --out DIR [--apply]" >&2; exit 2; }
mkdir -p "$out"
umask 077

# The names kube-apiserver dials: <service>.<namespace>.svc (and the FQDN).
san="DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.cluster.local"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$out/ca.key" -out "$out/ca.crt" -days "$days" \
  -subj "/CN=plugd-webhook-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$out/tls.key" -out "$out/tls.csr" -subj "/CN=$service.$namespace.svc" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' "$san" > "$out/tls.ext"
openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -out "$out/tls.crt" -days "$days" -extfile "$out/tls.ext" 2>/dev/null
rm -f "$out/tls.csr" "$out/tls.ext" "$out/ca.srl"
openssl verify -CAfile "$out/ca.crt" "$out/tls.crt" >/dev/null
echo "wrote $out/ca.crt, $out/tls.crt and $out/tls.key for $san"

if [ "$apply" = true ]; then
  kubectl -n "$namespace" create secret tls plugd-webhook-tls --cert "$out/tls.crt" --key "$out/tls.key" \
    --dry-run=client -o yaml | kubectl apply -f -
  ca=$(base64 < "$out/ca.crt" | tr -d '\n')
  for kind in mutatingwebhookconfiguration validatingwebhookconfiguration; do
    if kubectl get "$kind" plugd >/dev/null 2>&1; then
      kubectl patch "$kind" plugd --type=json -p "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"$ca\"}]"
    fi
  done
else
  echo "next: rerun with --apply (after kubectl apply -k deploy/control-plane) to create the Secret and set caBundle"
fi
