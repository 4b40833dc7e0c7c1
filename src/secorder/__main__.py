from secorder.cli import main

main()
