module github.com/polyproc/polyproc/examples/codec-pipeline/go

go 1.25

require github.com/polyproc/polyproc/sdks/go v0.0.0

require google.golang.org/protobuf v1.36.12 // indirect

replace github.com/polyproc/polyproc/sdks/go => ../../../sdks/go
