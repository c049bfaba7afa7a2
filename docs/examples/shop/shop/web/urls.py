ROUTES = ["/orders", "/invoices"]
