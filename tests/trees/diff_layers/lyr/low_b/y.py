import lyr.top.views
