# Runs a Fashion-MNIST example on 1,000 training and 1,000 test images for one epoch and checks that
# it reports a test accuracy and writes its history, plot and training report into the folder it
# was given; then that its predict mode reads the model.safetensors it wrote and classifies an
# image file (its own inputs.png). -DEXTRA=ARGUMENT (optional) is given to both runs, e.g.
# sequence_fashion_mnist's --cell=gru.
file(REMOVE_RECURSE ${OUTPUT})
execute_process(COMMAND ${PROGRAM} ${OUTPUT} --epochs 1 --train-subset 1000 --test-subset 1000
                        ${EXTRA}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed (${result}):\n${output}\n${errors}")
endif()
if(NOT output MATCHES "final test accuracy: [0-9.]+%")
  message(FATAL_ERROR "no final test accuracy in:\n${output}")
endif()
foreach(file history.csv curves.svg model.safetensors index.html confusion.png misclassified.png
             inputs.png)
  if(NOT EXISTS ${OUTPUT}/${file})
    message(FATAL_ERROR "${OUTPUT}/${file} was not written")
  endif()
endforeach()
file(READ ${OUTPUT}/curves.svg svg)
if(NOT svg MATCHES "<svg" OR NOT svg MATCHES "polyline")
  message(FATAL_ERROR "curves.svg has no plot")
endif()
file(READ ${OUTPUT}/index.html html)
if(NOT html MATCHES "src=\"confusion.png\"" OR NOT html MATCHES "Ankle boot")
  message(FATAL_ERROR "index.html shows no confusion matrix named by class")
endif()
# filters.png: the first Conv2D's, for a network that has one (the page says so otherwise).
if(html MATCHES "src=\"filters.png\"" AND NOT EXISTS ${OUTPUT}/filters.png)
  message(FATAL_ERROR "index.html shows filters.png, which was not written")
endif()
if(NOT html MATCHES "src=\"filters.png\"" AND NOT html MATCHES "no Conv2D layer")
  message(FATAL_ERROR "index.html has neither the filters nor a sentence about them")
endif()

# Issue 15: sequence_fashion_mnist predict refused the model its training had just written.
execute_process(COMMAND ${PROGRAM} predict ${OUTPUT}/model.safetensors ${OUTPUT}/inputs.png
                        ${EXTRA}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} predict on its own model failed (${result}):\n${output}\n${errors}")
endif()
set(class "(T-shirt/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) [0-9]+\\.[0-9]%")
if(NOT output MATCHES "inputs.png: ${class}, ${class}, ${class}\n$")
  message(FATAL_ERROR "predict printed no three classes for inputs.png:\n${output}\n${errors}")
endif()
