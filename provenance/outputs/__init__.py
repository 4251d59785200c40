"""What an auditor sees: `assemble` reads the store for the graph, `show` and the report;
`graph` builds the citation graph and `graph_formats` writes it out (JSON, GraphML, GEXF, DOT,
JSON-LD); `terminal` renders for people and machines; `html` writes the report and check page.
"""
