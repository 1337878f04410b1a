-- purpose: each parcel outline's extent (longitude / latitude of its vertices, read from the GeoJSON text once when the
--          data is loaded or imported), so that the map's 片区 view (parcel_map_areas) needs no parse of every outline
--          at every query (~0.4 s at a province's 10⁵ parcels)
-- params: none
-- grain: one row per parcel with a non-empty boundary_geojson
with numbers as (
    -- an outline's numbers are its vertices' longitude, latitude, longitude, … (GeoJSON coordinates, in order)
    select
        parcel_id,
        list_transform(regexp_extract_all(boundary_geojson, '-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?'),
                       lambda x: x::double) as xy
    from parcels
    where coalesce(boundary_geojson, '') <> ''
)

select
    parcel_id,
    list_min(list_slice(xy, 1, len(xy), 2)) as lon_min,
    list_min(list_slice(xy, 2, len(xy), 2)) as lat_min,
    list_max(list_slice(xy, 1, len(xy), 2)) as lon_max,
    list_max(list_slice(xy, 2, len(xy), 2)) as lat_max
from numbers
