from leery.cli import main

raise SystemExit(main())
