from bragcli.cli import main

main()
