# Through container one's logic (not a layer of container two) back up to two.ui.
from lyr.apps.one import logic
from lyr.apps.one import ui
