// Command omitempty prints what the JSON encoding of the Kubernetes API types
// does differently from their protobuf messages, one line per field, sorted:
//
//	omitempty <proto message full name>.<json name>
//	    a non-pointer number, boolean or string tagged omitempty: protobuf
//	    always writes it, JSON leaves it out when zero;
//	inline <proto message full name>.<proto field name>
//	    an embedded struct (Go's JSON inlines it): protobuf nests it in a field of
//	    its own, JSON puts its fields in the enclosing object.
//
// The hub reads protobuf bodies into JSON with this, so that a pointer set to
// 0 (replicas: 0) stays, an unset port does not become 0, and an Ingress
// rule's host and http sit side by side as in JSON.
package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
)

func main() {
	s := runtime.NewScheme()
	if err := scheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		panic(err)
	}
	seen := map[reflect.Type]bool{}
	out := map[string]bool{}
	for _, t := range s.AllKnownTypes() {
		walk(t, seen, out)
	}
	lines := make([]string, 0, len(out))
	for l := range out {
		lines = append(lines, l)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}

func protoName(t reflect.Type) string {
	return strings.ReplaceAll(strings.ReplaceAll(t.PkgPath(), "/", "."), "-", "_") + "." + t.Name()
}

func walk(t reflect.Type, seen map[reflect.Type]bool, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
		if t.Kind() == reflect.Map {
			walk(t.Key(), seen, out)
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] || !strings.HasPrefix(t.PkgPath(), "k8s.io/") {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			// TypeMeta has no protobuf field; the others are a message field of their own
			if p := protoField(f.Tag.Get("protobuf")); p != "" {
				out["inline "+protoName(t)+"."+p] = true
			}
			walk(f.Type, seen, out)
			continue
		}
		if name == "-" || name == "" {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64, reflect.String:
			if strings.Contains(","+opts+",", ",omitempty,") {
				out["omitempty "+protoName(t)+"."+name] = true
			}
		default:
			walk(f.Type, seen, out)
		}
	}
}

// protoField is the name= of a protobuf struct tag ("bytes,2,opt,name=x").
func protoField(tag string) string {
	for _, part := range strings.Split(tag, ",") {
		if v, ok := strings.CutPrefix(part, "name="); ok {
			return v
		}
	}
	return ""
}
