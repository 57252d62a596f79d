"""moto's server as `moto_server` runs it, minus two scans it repeats on every
request, and with SSM's create-if-absent as atomic as SSM's.

moto 5.2 lists its own package directory (a listdir and a stat of every
entry, under the lock that serialises dispatch) and inspects the methods of
the answering class on every request, though neither changes while the
server runs: about a third of the emulator's time per call. Both answers
are computed once here; every response is the same as moto_server's.

`PutParameter` without overwrite is atomic in SSM: of several concurrent
creates of one name, one succeeds and the others get ParameterAlreadyExists.
moto checks that the name is free and stores the parameter many steps later,
with no lock, so concurrent creates on its threaded server can all succeed
(and a delete between the two can lose a create). xapi's write lease is such
a create; here SSM's parameter writes take turns, as SSM's do.
"""
import functools
import sys
import threading

import moto.backends
import moto.core.responses
import moto.ssm.models
from moto.server import main

_MODULES = frozenset(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _MODULES
moto.core.responses.method_names_from_class = functools.cache(
    moto.core.responses.method_names_from_class
)


_SSM = moto.ssm.models.SimpleSystemManagerBackend
_SSM_WRITES = threading.RLock()


def _one_at_a_time(method):
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with _SSM_WRITES:
            return method(*args, **kwargs)

    return locked


for _name in ("put_parameter", "delete_parameter", "delete_parameters"):
    setattr(_SSM, _name, _one_at_a_time(getattr(_SSM, _name)))

if __name__ == "__main__":
    sys.exit(main())
