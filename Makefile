# Cairn: see README.md. Plain GNU make; objects under build/ (build-san/ for
# sanitizer builds), one static library per directory so that unit tests link
# the very objects the server runs.

SANITIZE ?=
CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

BUILD := build$(if $(SANITIZE),-san)
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN) -I. -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS :=
LDLIBS := -ljemalloc -lzstd -llz4 -lm -lpthread
ifneq ($(SANITIZE),)
# The sanitizer owns malloc: jemalloc stays out (see utils/alloc.c).
CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DCN_LIBC_MALLOC
LDFLAGS += -fsanitize=$(SANITIZE)
LDLIBS := -lzstd -llz4 -lm -lpthread
endif

# Relink when switching between plain and sanitizer builds.
MODE := $(if $(SANITIZE),san-$(SANITIZE),plain)
ifneq ($(MODE),$(shell cat build/.mode 2>/dev/null))
$(shell mkdir -p build && echo '$(MODE)' > build/.mode)
endif

RESP_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard resp/*.c))
UTILS_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard utils/*.c))
AOF_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard aof/*.c))
SNAPSHOT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard snapshot/*.c))
SERVER_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out src/main.c,$(wildcard src/*.c)))
LIBS := $(BUILD)/libserver.a $(BUILD)/libaof.a $(BUILD)/libsnapshot.a $(BUILD)/libresp.a $(BUILD)/libutils.a

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
INTEGRATION_TESTS := $(patsubst tests/integration/%.c,$(BUILD)/tests/%,$(wildcard tests/integration/test_*.c))
FUZZ_REPLAY := $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/tests/fuzz_%_replay,$(wildcard tests/fuzz/fuzz_*.c))
TEST_BINS := $(UNIT_TESTS) $(INTEGRATION_TESTS) $(FUZZ_REPLAY)

.PHONY: all deps run test bench fuzz format check-deps clean test-bins
all: src/cairn-server utils/tools/cairn-check

deps:
	@./utils/tools/deps.sh build

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libresp.a: $(RESP_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libutils.a: $(UTILS_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libaof.a: $(AOF_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libsnapshot.a: $(SNAPSHOT_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libserver.a: $(SERVER_OBJ)
	$(AR) rcs $@ $^

src/cairn-server: $(BUILD)/src/main.o $(LIBS) build/.mode
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/src/main.o $(LIBS) $(LDLIBS)

# cairn-check: verifies (and repairs) AOF and snapshot files; see README.md.
CHECK_LIBS := $(BUILD)/libaof.a $(BUILD)/libsnapshot.a $(BUILD)/libresp.a $(BUILD)/libutils.a
utils/tools/cairn-check: $(BUILD)/utils/tools/cairn-check.o $(CHECK_LIBS) build/.mode
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/utils/tools/cairn-check.o $(CHECK_LIBS) $(LDLIBS)

# --- tests -------------------------------------------------------------------
$(BUILD)/tests/test_resp: $(BUILD)/tests/unit/test_resp.o $(BUILD)/tests/test.o $(BUILD)/libresp.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/test_aof: $(BUILD)/tests/unit/test_aof.o $(BUILD)/tests/test.o $(BUILD)/libaof.a $(BUILD)/libresp.a $(BUILD)/libutils.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/test_snapshot: $(BUILD)/tests/unit/test_snapshot.o $(BUILD)/tests/test.o $(BUILD)/libsnapshot.a $(BUILD)/libutils.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/test_cairn_check: $(BUILD)/tests/unit/test_cairn_check.o $(BUILD)/tests/test.o $(CHECK_LIBS) utils/tools/cairn-check
	$(CC) $(LDFLAGS) -o $@ $(filter-out utils/tools/cairn-check,$^) $(LDLIBS)
$(BUILD)/tests/test_cmd_docs: $(BUILD)/tests/unit/test_cmd_docs.o $(BUILD)/tests/test.o $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/test_value_io: $(BUILD)/tests/unit/test_value_io.o $(BUILD)/tests/test.o $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(BUILD)/tests/test.o $(BUILD)/libutils.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(INTEGRATION_TESTS): $(BUILD)/tests/%: $(BUILD)/tests/integration/%.o $(BUILD)/tests/harness.o $(BUILD)/tests/test.o
	$(CC) $(LDFLAGS) -o $@ $^ -lhiredis $(LDLIBS)
# make bench's no-op server (see tests/bench_floor.c).
$(BUILD)/tests/bench_floor: $(BUILD)/tests/bench_floor.o
	$(CC) $(LDFLAGS) -o $@ $^
# Every tests/fuzz/fuzz_NAME.c replays its corpus tests/fuzz/corpus/NAME/ in make test.
$(BUILD)/tests/fuzz_%_replay: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_main.o $(BUILD)/libaof.a $(BUILD)/libsnapshot.a $(BUILD)/libresp.a $(BUILD)/libutils.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# The config parser is server code. Its entry point keeps config.c's file-system calls
# inside a scratch directory: config.c is compiled once more with them renamed to the
# entry point's checked versions (see tests/fuzz/fuzz_config.c), and that object comes
# before libserver.a, so the archive's config.o is not linked.
FUZZ_CONFIG_SANDBOX := -Dfopen=fuzz_fopen -Dchdir=fuzz_chdir -Dglob=fuzz_glob
$(BUILD)/tests/fuzz/config_sandboxed.o: src/config.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUZZ_CONFIG_SANDBOX) -c $< -o $@
$(BUILD)/tests/fuzz_config_replay: $(BUILD)/tests/fuzz/fuzz_config.o $(BUILD)/tests/fuzz/config_sandboxed.o $(BUILD)/tests/fuzz/replay_main.o $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# bench_floor is make bench's; building it here keeps it compiling.
test-bins: src/cairn-server utils/tools/cairn-check $(TEST_BINS) $(BUILD)/tests/bench_floor

test:
	@./utils/tools/deps.sh build test
	@$(MAKE) --no-print-directory test-bins
	@BUILD=$(BUILD) ./tests/run.sh

run:
	@./utils/tools/deps.sh build
	@$(MAKE) --no-print-directory src/cairn-server
	@mkdir -p data
	./src/cairn-server --bind 127.0.0.1 --port 6379 --dir ./data

bench:
	@./utils/tools/deps.sh build bench
	@$(MAKE) --no-print-directory src/cairn-server $(BUILD)/tests/test_evict $(BUILD)/tests/bench_floor
	@BUILD=$(BUILD) ./tests/bench.sh

# libFuzzer on one entry point: FUZZ_TARGET=reader (the request reader, default),
# snapshot (the snapshot reader), aof (the AOF loader and manifest parser), config
# (the config file, command line and CONFIG REWRITE), or all (the four, one after the
# other); FUZZ_TIME seconds each (default 600). New inputs go to build/fuzz/corpus_*,
# crashes to build/fuzz/<target>-crash-*.
FUZZ_TIME ?= 600
FUZZ_TARGET ?= reader
FUZZ_CC := clang -g -O1 -I. -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_RUN = -max_total_time=$(FUZZ_TIME) -print_final_stats=1 -artifact_prefix=$(CURDIR)/build/fuzz/$(FUZZ_TARGET)-
fuzz:
	@./utils/tools/deps.sh build fuzz
	@mkdir -p build/fuzz build/fuzz/corpus_reader build/fuzz/corpus_snapshot build/fuzz/corpus_aof build/fuzz/corpus_config
ifeq ($(FUZZ_TARGET),all)
	@for t in reader aof snapshot config; do \
		$(MAKE) --no-print-directory fuzz FUZZ_TARGET=$$t FUZZ_TIME=$(FUZZ_TIME) || exit 1; \
	done
else ifeq ($(FUZZ_TARGET),aof)
	$(FUZZ_CC) -D_GNU_SOURCE -DCN_LIBC_MALLOC -o build/fuzz/fuzz_aof tests/fuzz/fuzz_aof.c aof/*.c resp/*.c utils/*.c -lm -lpthread
	./build/fuzz/fuzz_aof $(FUZZ_RUN) -max_len=8192 build/fuzz/corpus_aof tests/fuzz/corpus/aof
else ifeq ($(FUZZ_TARGET),snapshot)
	$(FUZZ_CC) -D_GNU_SOURCE -DCN_LIBC_MALLOC -o build/fuzz/fuzz_snapshot tests/fuzz/fuzz_snapshot.c snapshot/*.c utils/*.c -lzstd -llz4 -lm -lpthread
	./build/fuzz/fuzz_snapshot $(FUZZ_RUN) -max_len=16384 build/fuzz/corpus_snapshot tests/fuzz/corpus/snapshot
else ifeq ($(FUZZ_TARGET),config)
	$(FUZZ_CC) -D_GNU_SOURCE -DCN_LIBC_MALLOC $(FUZZ_CONFIG_SANDBOX) -c src/config.c -o build/fuzz/config_sandboxed.o
	$(FUZZ_CC) -D_GNU_SOURCE -DCN_LIBC_MALLOC -o build/fuzz/fuzz_config tests/fuzz/fuzz_config.c build/fuzz/config_sandboxed.o \
		$(filter-out src/main.c src/config.c,$(wildcard src/*.c)) aof/*.c snapshot/*.c resp/*.c utils/*.c -lzstd -llz4 -lm -lpthread
	./build/fuzz/fuzz_config $(FUZZ_RUN) -max_len=4096 -dict=tests/fuzz/config.dict build/fuzz/corpus_config tests/fuzz/corpus/config
else ifeq ($(FUZZ_TARGET),reader)
	$(FUZZ_CC) -o build/fuzz/fuzz_reader tests/fuzz/fuzz_reader.c resp/*.c
	./build/fuzz/fuzz_reader $(FUZZ_RUN) -max_len=4096 build/fuzz/corpus_reader tests/fuzz/corpus/reader
else
	@echo "FUZZ_TARGET must be reader, aof, snapshot, config or all" >&2; exit 2
endif

format:
	clang-format -i $(wildcard src/*.[ch] resp/*.[ch] aof/*.[ch] snapshot/*.[ch] utils/*.[ch] utils/tools/*.[ch] tests/*.[ch] tests/*/*.[ch])

# The module map of ../shared/design.md, checked from #include lines.
check-deps:
	@./utils/tools/check-deps.sh

clean:
	rm -rf build build-san src/cairn-server utils/tools/cairn-check

-include $(shell find build build-san -name '*.d' 2>/dev/null)
