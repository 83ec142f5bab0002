with

source as (

    select * from {{ ref('ref_ind_asylum_influx') }}

),

renamed as (

    select
        cast(reference_month as date) as reference_month,
        cast(measure_code as varchar) as measure_code,
        cast(nationality_code as varchar) as nationality_code,
        cast(label_as_printed as varchar) as label_as_printed,
        cast(value as bigint) as ind_value,
        cast(page_month as date) as page_month,
        cast(page_url as varchar) as page_url,
        cast(page_title as varchar) as page_title,
        cast(page_updated_on as date) as page_updated_on,
        cast(quoted_from_page as varchar) as quoted_from_page

    from source

)

select * from renamed
