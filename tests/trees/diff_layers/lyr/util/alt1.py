from lyr.top import views
