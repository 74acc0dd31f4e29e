import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Property tests draw the same examples on every run (a red CI run can be reproduced, and a
# green one does not turn red by luck). HYPOTHESIS_PROFILE=explore draws fresh ones instead.
settings.register_profile("reproducible", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))
