with

source as (

    select * from {{ ref('ref_ind_asylum_influx') }}

),

renamed as (

    select
        reference_month,
        measure_code,
        nationality_code,
        label_as_printed,
        value as ind_value,
        page_month,
        page_url,
        page_title,
        page_updated_on,
        quoted_from_page

    from source

)

select * from renamed
