// go-hello: a validating AdmissionPlugin in Go, to show that the .proto files are the whole
// contract. It denies Pods that carry no app.kubernetes.io/name label and allows everything
// else. Built with Debian's golang-go, golang-google-grpc-dev and golang-google-protobuf-dev
// (GOPATH mode, no module download); see build.sh and README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	admissionv1 "plugd.dev/go-hello/gen/admissionv1"
	registration "plugd.dev/go-hello/gen/pluginregistration"
)

const (
	pluginName = "go-hello"
	// The label every Pod must carry.
	requiredLabel = "app.kubernetes.io/name"
	// What the host says when a newer instance under our name took over (proto/index.ts).
	supersededPrefix = "superseded by generation"
	drainTimeout     = 10 * time.Second
)

// registrationServer answers kubelet's registration handshake: who we are and which
// interface versions we speak.
type registrationServer struct {
	registration.UnimplementedRegistrationServer
	superseded chan string
}

func (r *registrationServer) GetInfo(context.Context, *registration.InfoRequest) (*registration.PluginInfo, error) {
	return &registration.PluginInfo{Type: "AdmissionPlugin", Name: pluginName, SupportedVersions: []string{"v1"}}, nil
}

func (r *registrationServer) NotifyRegistrationStatus(_ context.Context, s *registration.RegistrationStatus) (*registration.RegistrationStatusResponse, error) {
	if s.PluginRegistered {
		log.Printf("registered with host")
	} else {
		log.Printf("host refused or released registration: %s", s.Error)
		if strings.HasPrefix(s.Error, supersededPrefix) {
			// Stop after answering: the host already drained us.
			select {
			case r.superseded <- s.Error:
			default:
			}
		}
	}
	return &registration.RegistrationStatusResponse{}, nil
}

// healthService is grpc-go's health server with one change: its Watch streams end when the
// plugin stops, so a graceful stop does not wait on the host's never-ending Watch.
type healthService struct {
	*health.Server
	closing chan struct{}
}

type watchStream struct {
	healthpb.Health_WatchServer
	ctx context.Context
}

func (w watchStream) Context() context.Context { return w.ctx }

func (h healthService) Watch(req *healthpb.HealthCheckRequest, stream healthpb.Health_WatchServer) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	go func() {
		select {
		case <-h.closing:
			// Let the NOT_SERVING update reach the host before the stream ends.
			time.Sleep(100 * time.Millisecond)
			cancel()
		case <-ctx.Done():
		}
	}()
	return h.Server.Watch(req, watchStream{stream, ctx})
}

// admissionServer is the typed plugd.admission.v1 service.
type admissionServer struct {
	admissionv1.UnimplementedAdmissionServer
}

func (a *admissionServer) GetCapabilities(context.Context, *admissionv1.GetCapabilitiesRequest) (*admissionv1.Capabilities, error) {
	return &admissionv1.Capabilities{
		Implemented:   []string{"Admit"},
		Kind:          admissionv1.Kind_VALIDATING,
		FailurePolicy: admissionv1.FailurePolicy_FAIL,
		TimeoutMs:     3000,
		SideEffects:   admissionv1.SideEffects_NONE,
		Rules: []*admissionv1.Rule{{
			Operations: []string{"CREATE", "UPDATE"}, ApiGroups: []string{""}, ApiVersions: []string{"v1"}, Resources: []string{"pods"}, Scope: "Namespaced",
		}},
	}, nil
}

type objectMeta struct {
	Metadata struct {
		Name         string            `json:"name"`
		GenerateName string            `json:"generateName"`
		Labels       map[string]string `json:"labels"`
	} `json:"metadata"`
}

func (a *admissionServer) Admit(_ context.Context, req *admissionv1.AdmitRequest) (*admissionv1.AdmitResponse, error) {
	if req.GetKind().GetKind() != "Pod" || len(req.Object) == 0 {
		return &admissionv1.AdmitResponse{Allowed: true}, nil
	}
	var obj objectMeta
	if err := json.Unmarshal(req.Object, &obj); err != nil {
		// Not a deny: a call error, so the host applies the failure policy.
		return nil, status.Errorf(codes.InvalidArgument, "object is not JSON: %v", err)
	}
	if obj.Metadata.Labels[requiredLabel] != "" {
		return &admissionv1.AdmitResponse{Allowed: true}, nil
	}
	name := obj.Metadata.Name
	if name == "" {
		name = obj.Metadata.GenerateName + "*"
	}
	return &admissionv1.AdmitResponse{
		Allowed: false,
		Status: &admissionv1.Status{
			Code:    403,
			Reason:  "Forbidden",
			Message: fmt.Sprintf("Pod %s/%s: label %q is required (hello from Go)", req.Namespace, name, requiredLabel),
		},
	}, nil
}

// listen binds the socket, replacing a stale one (nothing listening) and refusing a live one.
func listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket; refusing to remove it", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("socket %s is held by a live server; refusing to replace it", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	return net.Listen("unix", path)
}

func main() {
	socketDir := flag.String("socket-dir", os.Getenv("PLUGD_SOCKET_DIR"), "the host's socket directory")
	socketPath := flag.String("socket", "", "exact socket path (default <socket-dir>/go-hello.sock)")
	// In a pod, exiting when superseded gets the old version restarted and registered again.
	stay := flag.Bool("stay-when-superseded", false, "when a newer instance takes over, wait for SIGTERM instead of exiting")
	flag.Parse()
	log.SetPrefix(pluginName + ": ")
	path := *socketPath
	if path == "" {
		if *socketDir == "" {
			log.Fatal("--socket-dir (or $PLUGD_SOCKET_DIR) is required")
		}
		path = filepath.Join(*socketDir, pluginName+".sock")
	}

	lis, err := listen(path)
	if err != nil {
		log.Fatal(err)
	}
	// Closing the listener must not unlink the path: a successor may own it by then.
	lis.(*net.UnixListener).SetUnlinkOnClose(false)
	st, _ := os.Stat(path)
	server := grpc.NewServer()
	reg := &registrationServer{superseded: make(chan string, 1)}
	registration.RegisterRegistrationServer(server, reg)
	healthSrv := healthService{health.NewServer(), make(chan struct{})}
	healthSrv.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthSrv.SetServingStatus("plugd.admission.v1.Admission", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, healthSrv)
	admissionv1.RegisterAdmissionServer(server, &admissionServer{})

	stop := make(chan string, 1)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() { stop <- (<-signals).String() }()
	go func() {
		why := <-reg.superseded
		if *stay {
			log.Printf("%s; staying up until SIGTERM (--stay-when-superseded)", why)
			return
		}
		stop <- why
	}()
	if fd := os.Getenv("PLUGD_PARENT_FD"); fd != "" {
		// A supervising host holds the other end: EOF means it is gone, so we go too.
		if n, err := strconv.Atoi(fd); err == nil {
			go func() {
				f := os.NewFile(uintptr(n), "parent")
				buf := make([]byte, 64)
				for {
					if _, err := f.Read(buf); err != nil {
						stop <- "parent pipe closed"
						return
					}
				}
			}()
		}
	}

	served := make(chan error, 1)
	go func() { served <- server.Serve(lis) }()
	log.Printf("serving on %s", path)

	select {
	case why := <-stop:
		log.Printf("stopping (%s)", why)
	case err := <-served:
		if err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			log.Fatal(err)
		}
	}
	// Stop advertising, unlink our own socket (not a successor's), drain, exit.
	healthSrv.Shutdown()
	close(healthSrv.closing)
	if now, err := os.Stat(path); err == nil && st != nil && os.SameFile(now, st) {
		os.Remove(path)
	}
	done := make(chan struct{})
	go func() { server.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(drainTimeout):
		server.Stop()
	}
}
