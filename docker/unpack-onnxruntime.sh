#!/bin/sh
# Build-stage step of both images: moves ONNX Runtime's native libraries for one platform out of the shaded jar
# into a folder, and rewrites the jar without any native folder.
#
#   unpack-onnxruntime.sh JAR PLATFORM LIB_DIR      e.g. skelstream.jar linux-x64 /out/lib/onnxruntime
#
# At run time -Donnxruntime.native.path=LIB_DIR makes ONNX Runtime System.load() them from there, so start-up skips
# extracting ~30 MB (CPU) or ~580 MB (GPU: the CUDA provider) into a temporary folder, the container's root
# filesystem can be read-only, and the image does not carry every library twice. The jar tool of the build stage's
# JDK does the work; no zip package is needed.
set -eu
jar_file=$1
platform=$2
lib_dir=$3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && jar xf "$jar_file")
native="$work/ai/onnxruntime/native/$platform"
if [ ! -f "$native/libonnxruntime.so" ] || [ ! -f "$native/libonnxruntime4j_jni.so" ]; then
    echo "unpack-onnxruntime: $jar_file has no ONNX Runtime libraries for $platform" \
         "(found: $(ls "$work/ai/onnxruntime/native" 2>/dev/null | tr '\n' ' '))" >&2
    exit 1
fi
mkdir -p "$lib_dir"
cp "$native"/* "$lib_dir"/
rm -rf "$work/ai/onnxruntime/native"
slim="$work.jar"
jar --create --file "$slim" --manifest "$work/META-INF/MANIFEST.MF" -C "$work" .
mv "$slim" "$jar_file"
echo "unpack-onnxruntime: $(ls "$lib_dir" | tr '\n' ' ')-> $lib_dir"
