# Helper shared by the gc_*.py tests (imported, not a test itself: it has no
# .exp file, so tests/run.py does not run it).
#
#   freed(label, run, *args)   run(*args), then print "label freed: True" when
#                              the heap it took came back
import gc


def freed(label, run, *args):
    """Collect, call run(*args), collect again and print whether less than
    10 KB stayed taken (what the tests make holds 50 KB or more). run is a
    function, so no stale slot of the caller's stack holds what it made."""
    gc.collect()
    free_before = gc.mem_free()
    run(*args)
    gc.collect()
    print(label, "freed:", free_before - gc.mem_free() < 10000)
