#include "hoptrace/core/id_generator.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "id_random.h"

namespace hoptrace {
namespace {

TEST(IdGeneratorTest, IdsAreValidAndDistinct) {
  std::set<std::pair<std::uint64_t, std::uint64_t>> traces;
  std::set<std::uint64_t> spans;
  for (int i = 0; i < 10000; ++i) {
    const TraceId t = generate_trace_id();
    const SpanId s = generate_span_id();
    ASSERT_TRUE(t.is_valid());
    ASSERT_TRUE(s.is_valid());
    traces.insert({t.high(), t.low()});
    spans.insert(s.to_u64());
  }
  EXPECT_EQ(traces.size(), 10000u);
  EXPECT_EQ(spans.size(), 10000u);
}

TEST(IdGeneratorTest, DefaultTraceIdsAreRandomPerW3CLevel2) {
  EXPECT_TRUE(default_id_generator().trace_ids_are_random());
  // Every bit of the random part changes over a few hundred ids (a constant byte would not).
  std::uint64_t seen_one = 0;
  std::uint64_t seen_zero = 0;
  for (int i = 0; i < 512; ++i) {
    const std::uint64_t low = generate_trace_id().low();
    seen_one |= low;
    seen_zero |= ~low;
  }
  EXPECT_EQ(seen_one, ~std::uint64_t{0});
  EXPECT_EQ(seen_zero, ~std::uint64_t{0});
}

TEST(IdGeneratorTest, ThreadsGetDifferentSequences) {
  std::vector<std::uint64_t> a;
  std::vector<std::uint64_t> b;
  std::thread ta([&] {
    for (int i = 0; i < 100; ++i) a.push_back(generate_span_id().to_u64());
  });
  std::thread tb([&] {
    for (int i = 0; i < 100; ++i) b.push_back(generate_span_id().to_u64());
  });
  ta.join();
  tb.join();
  std::set<std::uint64_t> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 200u);
}

TEST(IdGeneratorTest, ForkedChildDoesNotRepeatParentIds) {
  generate_span_id();  // make sure this thread's generator is seeded before fork
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::uint64_t id = generate_span_id().to_u64();
    const ssize_t written = write(fds[1], &id, sizeof(id));
    _exit(written == static_cast<ssize_t>(sizeof(id)) ? 0 : 1);
  }
  const std::uint64_t parent_next = generate_span_id().to_u64();
  std::uint64_t child_first = 0;
  ASSERT_EQ(read(fds[0], &child_first, sizeof(child_first)),
            static_cast<ssize_t>(sizeof(child_first)));
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  close(fds[1]);
  EXPECT_NE(child_first, parent_next);
}

TEST(IdStreamTest, SpanIdsInOneGoEqualSeparateDraws) {
  detail::IdStream stream;
  stream.next();  // seeded
  for (int i = 0; i < 100; ++i) {
    detail::IdStream same = stream;
    TraceId trace;
    SpanId span;
    stream.span_ids(&trace, &span);
    EXPECT_EQ(trace, same.trace_id());
    EXPECT_EQ(span, same.span_id());
    EXPECT_TRUE(trace.is_valid());
    EXPECT_TRUE(span.is_valid());
    detail::IdStream child = stream;
    SpanId child_span;
    stream.span_ids(nullptr, &child_span);  // a child draws only its span id
    EXPECT_EQ(child_span, child.span_id());
  }
}

TEST(IdStreamTest, ForkGenerationChangeReseeds) {
  detail::IdStream stream;
  stream.next();
  detail::IdStream copy = stream;
  detail::g_id_fork_generation.fetch_add(1);  // what the fork handler does in a child
  EXPECT_NE(stream.next(), copy.next());
}

}  // namespace
}  // namespace hoptrace
