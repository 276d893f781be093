#pragma once

#include <cstddef>
#include <functional>

#include "ui/json_out.hpp"

namespace xuictl {

// How write_rows shares the rows of a big array among threads. The defaults
// are for `stats -o json` at 100 000 clients (~280 bytes a row): a chunk is
// ~0.3 MB of text and under half a millisecond of work.
struct RowChunking {
    // Rows formatted as one piece of text by one thread (at least 1).
    size_t chunk_rows = 1024;
    // Fewer rows are written on the calling thread alone: starting a thread
    // costs more than formatting a few thousand rows.
    size_t min_parallel_rows = 4096;
    // Threads that format, the calling one included; 0: row_threads().
    unsigned threads = 0;
    // Chunks formatted and not yet written out, at most; 0: two per thread.
    // With the chunk size, bounds the memory held (~2 MB with 4 threads).
    size_t chunks_in_flight = 0;
};

// std::thread::hardware_concurrency(), at most 4, at least 1.
unsigned row_threads();

// Writes rows [begin, end) onto `w`, which is in an array: one-line, in
// memory, a different writer on each thread.
using RowRangeWriter = std::function<void(JsonWriter& w, size_t begin, size_t end)>;

// write_rows' parallel path: `w` is one-line and in an array; count > 0.
void write_rows_in_chunks(JsonWriter& w, size_t count, const RowChunking& chunking,
                          const RowRangeWriter& write_range);

// Writes rows 0 … count-1 as elements of the array `w` is in (after
// StartArray, before EndArray): write_row(writer, i) writes row i as one
// value. The text is the same as calling write_row(w, i) for each i in turn,
// which is what happens for an indented writer (a terminal) or fewer than
// chunking.min_parallel_rows rows. Otherwise the rows are formatted in
// chunks on up to chunking.threads threads (the calling one included), each
// chunk into its own in-memory writer, and the calling thread writes the
// chunks out in order as they are done; at most chunks_in_flight chunks are
// held at a time, never the whole array.
//
// write_row is then called concurrently: it must only read what it shares.
// What it throws is rethrown here, on the calling thread, once the other
// threads have stopped (the array is then incomplete).
template <typename WriteRow>
void write_rows(JsonWriter& w, size_t count, const WriteRow& write_row,
                const RowChunking& chunking = {}) {
    if (w.pretty() || count == 0 || count < chunking.min_parallel_rows) {
        for (size_t i = 0; i < count; ++i) {
            write_row(w, i);
        }
        return;
    }
    // One indirect call per chunk; the rows of a chunk are a direct loop.
    write_rows_in_chunks(w, count, chunking,
                         [&write_row](JsonWriter& chunk, size_t begin, size_t end) {
                             for (size_t i = begin; i < end; ++i) {
                                 write_row(chunk, i);
                             }
                         });
}

}  // namespace xuictl
