from boundary_lint.cli import main

raise SystemExit(main())
