from cachelint.fastpath import main

main()
