#!/bin/sh
# Builds go-hello offline with Debian's Go toolchain and gRPC/protobuf packages:
#   apt-get install golang-go golang-google-grpc-dev golang-google-protobuf-dev \
#                   protoc-gen-go protoc-gen-go-grpc protobuf-compiler
# GOPATH mode over /usr/share/gocode (where Debian puts Go sources), so nothing is downloaded.
# Usage: build.sh [OUT]   (default OUT: ./go-hello)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
proto=$(cd "$here/../../proto" && pwd)
out=${1:-$here/go-hello}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg=$work/src/plugd.dev/go-hello
mkdir -p "$pkg"
cp "$here/main.go" "$pkg/"
# The contracts, generated fresh: the Go side cannot drift from proto/.
m="Mpluginregistration/api.proto=plugd.dev/go-hello/gen/pluginregistration,Mplugd/admission/v1/admission.proto=plugd.dev/go-hello/gen/admissionv1"
protoc -I "$proto" --go_out="$pkg" --go-grpc_out="$pkg" \
  --go_opt=module=plugd.dev/go-hello,"$m" --go-grpc_opt=module=plugd.dev/go-hello,"$m" \
  pluginregistration/api.proto plugd/admission/v1/admission.proto
cd "$pkg"
GO111MODULE=off GOPATH="$work:/usr/share/gocode" GOFLAGS= GOPROXY=off \
  go build -o "$out" .
