"""moto's server as `moto_server` runs it, minus two scans it repeats on every request.

moto 5.2 lists its own package directory (a listdir and a stat of every
entry, under the lock that serialises dispatch) and inspects the methods of
the answering class on every request, though neither changes while the
server runs: about a third of the emulator's time per call. Both answers
are computed once here; every response is the same as moto_server's.
"""
import functools
import sys

import moto.backends
import moto.core.responses
from moto.server import main

_MODULES = frozenset(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _MODULES
moto.core.responses.method_names_from_class = functools.cache(
    moto.core.responses.method_names_from_class
)

if __name__ == "__main__":
    sys.exit(main())
