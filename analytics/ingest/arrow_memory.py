"""Arrow's memory for imports: the C library's allocator, not mimalloc.

pyarrow allocates through mimalloc by default. An import allocates a few
hundred megabytes of short-lived buffers (the sheet's text, the cleaned
columns, the pickled blocks between the reader worker and the server); with
mimalloc the first import in a process spent 0.4-0.8 s of system time per
process faulting in and giving back its arenas, so a 100,000-row file took
2.9-4.0 s the first time and about 2 s after. With the C library's
allocator the first import takes about what the later ones do
(docs/PERFORMANCE.md, "Import"). Both the reader worker and the process
that combines and writes the import switch.
"""

from __future__ import annotations

import pyarrow as pa


def use_system_allocator() -> None:
    """Make the C library's allocator pyarrow's default pool in this process.

    Buffers already allocated keep their pool (each buffer frees through the
    pool that made it), so switching while other threads use pyarrow is safe.
    """
    pool = pa.system_memory_pool()
    if pa.default_memory_pool().backend_name != pool.backend_name:
        pa.set_memory_pool(pool)
