"""The output layer: everything a run shows or writes, one module per kind of output.

``maps`` (folium web maps), ``plots`` (matplotlib PNGs), ``report`` (the HTML report and
monitor page), ``summary`` (console and Jupyter summaries), ``tables`` (CSV and XLSX),
``gpkg`` (GeoPackage), ``monitor`` (the monitor file set), ``write`` (all of them into one
folder) and ``files`` (the output folder: staging, marker, ``--force``).

Renderers take plain results (a :class:`geoprestatie.result.RunResult` or frames); no module
here imports :mod:`geoprestatie.pipeline`. Nothing is imported here, so importing one
renderer does not load the others.
"""
