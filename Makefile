# SkelStream: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what a fresh Debian/Ubuntu machine lacks first (scripts/setup.sh).

PYTHON ?= /usr/bin/python3
MVN    ?= mvn -B
JAR    := streams/target/skelstream.jar

.PHONY: demo test test-java test-trainer build bundled-model bench help

help:
	@echo "make demo           run the demo: in-JVM Kafka broker, bundled model, simulated devices"
	@echo "make test           run every test (Java modules, integration tests, trainer)"
	@echo "make bundled-model  regenerate models/bundled (synthetic data, pre-training, export)"
	@echo "make bench          run the benchmarks and rewrite BENCHMARKS.md"

# The main job: no broker, no model, no data to set up.
demo:
	@scripts/setup.sh java
	$(MVN) -q -DskipTests install
	java -jar $(JAR) demo

# All tests, as CI runs them. The Java build must find the bundled model (parity tests).
test:
	@scripts/setup.sh all
	$(MAKE) test-trainer
	$(MAKE) test-java

test-java:
	$(MVN) verify -Dskelstream.requireBundledModel=true

test-trainer:
	cd trainer && $(PYTHON) -m pytest -q tests

build:
	@scripts/setup.sh java
	$(MVN) -q -DskipTests install

bundled-model:
	@scripts/setup.sh all
	trainer/scripts/make_bundled_model.sh

bench:
	@scripts/setup.sh all
	scripts/bench.sh
