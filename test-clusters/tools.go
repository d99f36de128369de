//go:build tools

// Package testclusters pins the Kubernetes components that build.sh compiles.
// It is never compiled itself (build tag "tools"); it only keeps these main
// packages, and so their modules, in go.mod/go.sum.
package testclusters

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
