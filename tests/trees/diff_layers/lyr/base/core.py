def late():
    from lyr.top import views

    return views
