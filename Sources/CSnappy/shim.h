// Non-variadic umbrella header: the Swift side only calls the block/stream decode entry points.
#include <snappy-c.h>
