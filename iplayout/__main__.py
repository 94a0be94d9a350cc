from iplayout.cli import main

main()
