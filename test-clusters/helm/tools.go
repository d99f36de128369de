//go:build tools

// Package helm pins Helm v4, which build.sh compiles for the e2e tests (helm
// install, upgrade, rollback and uninstall against the hub). A module of its
// own, so that Helm's dependencies never move those of the Kubernetes build.
package helm

import _ "helm.sh/helm/v4/cmd/helm"
