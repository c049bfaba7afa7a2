from nsroot.foo.alpha.blue import one

from ....bar.beta import orange
