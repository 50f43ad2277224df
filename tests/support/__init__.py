"""What the tests share, apart from fixtures (those stay in the conftest.py files): the standard
cast and the factories that build it, databases and apps, reading pages and PDFs, and what people
do through the pages. Test files import from here, never from one another."""
