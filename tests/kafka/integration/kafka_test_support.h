#pragma once

// Everything the Kafka integration tests share, in one include: the mock cluster, the traced
// and raw clients on it, delivery reports, header lists as pairs, and the span recorder.
// Each part lives in tests/kafka/support/, one file per concept.

#include "delivery_reports.h"
#include "header_pairs.h"
#include "mock_cluster.h"
#include "raw_clients.h"
#include "span_attributes.h"
#include "span_recorder.h"
#include "traced_clients.h"
