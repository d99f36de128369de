//go:build tools

// Package kwok pins KWOK (sigs.k8s.io/kwok), which build.sh compiles so that
// the test clusters have fake nodes (TC_NODES=1): the scheduler binds pods to
// them, KWOK makes them Running and Ready, and Deployments really become
// available. A module of its own, so that KWOK's dependencies never move those
// of the Kubernetes build.
package kwok

import _ "sigs.k8s.io/kwok/cmd/kwok"
